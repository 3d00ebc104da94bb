import { HashRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ExamListPage } from '../features/exams/ExamListPage';
import { ExamStartPage } from '../features/exams/ExamStartPage';
import { ExamPlayerPage } from '../features/exam/ExamPlayerPage';
import { PreExamPage } from '../features/preExam/PreExamPage';
import { ReceiptPage } from '../features/receipt/ReceiptPage';
import { SignInPage } from '../features/signIn/SignInPage';
import { useResumeUploads } from '../features/recording/useResumeUploads';
import { ReviewPage } from '../features/review/ReviewPage';
import { ReviewQueuePage } from '../features/review/ReviewQueuePage';
import { LearnerOnly, StaffOnly } from '../features/review/StaffOnly';
import { LivePage } from '../features/live/LivePage';
import { AdminOnly } from '../features/staff/AdminOnly';
import { GradingPage } from '../features/staff/GradingPage';
import { ResultsPage } from '../features/staff/ResultsPage';
import { StaffConsolePage } from '../features/staff/StaffConsolePage';
import { AppShell } from './AppShell';
import { ErrorBoundary } from './ErrorBoundary';
import { ServicesContext, useCurrentUser, type Services } from './services';

function RequireAuth({ children }: { readonly children: React.ReactNode }) {
  const user = useCurrentUser();
  const location = useLocation();
  if (!user) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

/** Recordings a closed app left on this computer continue uploading once a learner is signed in. */
function UploadResumer() {
  useResumeUploads();
  return null;
}

/** Hash routes: the same URLs work from `app://invigil/index.html` and from the web host. */
export function App({ services }: { readonly services: Services }) {
  return (
    <ServicesContext.Provider value={services}>
      <ErrorBoundary log={services.log}>
        <UploadResumer />
        <HashRouter>
          <AppShell>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route path="/exams" element={<RequireAuth><LearnerOnly><ExamListPage /></LearnerOnly></RequireAuth>} />
              <Route path="/review" element={<RequireAuth><StaffOnly><ReviewQueuePage /></StaffOnly></RequireAuth>} />
              <Route path="/review/:entryId" element={<RequireAuth><StaffOnly><ReviewPage /></StaffOnly></RequireAuth>} />
              <Route path="/live" element={<RequireAuth><StaffOnly><LivePage /></StaffOnly></RequireAuth>} />
              <Route path="/staff" element={<RequireAuth><AdminOnly><StaffConsolePage /></AdminOnly></RequireAuth>} />
              <Route path="/staff/grading" element={<RequireAuth><AdminOnly><GradingPage /></AdminOnly></RequireAuth>} />
              <Route path="/staff/results" element={<RequireAuth><AdminOnly><ResultsPage /></AdminOnly></RequireAuth>} />
              <Route path="/exams/:examId" element={<RequireAuth><ExamStartPage /></RequireAuth>} />
              <Route path="/sessions/:sessionId/checks" element={<RequireAuth><PreExamPage /></RequireAuth>} />
              <Route path="/sessions/:sessionId" element={<RequireAuth><ExamPlayerPage /></RequireAuth>} />
              <Route path="/sessions/:sessionId/receipt" element={<RequireAuth><ReceiptPage /></RequireAuth>} />
              <Route path="*" element={<Navigate to="/exams" replace />} />
            </Routes>
          </AppShell>
        </HashRouter>
      </ErrorBoundary>
    </ServicesContext.Provider>
  );
}
